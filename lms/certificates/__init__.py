"""Certificates (認定証, §6(3)–(4)): issue, verification, revocation, validity and renewal, and
the registry of certified persons (認定者名簿, §7).

The committee's half (``lms.certification``) decides who is certified; this package reads its
:class:`~lms.certification.models.CertificationDecision` rows and issues from them.
"""

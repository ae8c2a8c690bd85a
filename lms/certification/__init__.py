"""Certification (§6): committee review, certificates, validity, renewal, registry."""

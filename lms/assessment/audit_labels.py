"""How the audit log names test actions."""

from __future__ import annotations

from lms import audit
from lms.i18n import N_

audit.register_actions({
    "quiz.sync": N_("Tests loaded from files"),
    "quiz.override": N_("Test attempt granted"),
    "quiz.paper_score": N_("Paper test score entered"),
})
audit.register_target_name("Quiz", N_("Tests"))

"""Applications to a cohort (受講申込) and §4 eligibility: applying, evidence, review."""

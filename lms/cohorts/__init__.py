"""Cohorts (期): stage dates that every deadline comes from, and trainee enrolment."""

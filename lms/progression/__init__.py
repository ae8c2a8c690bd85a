"""Gating: which stage, lecture and test is open to a trainee, from the programme file."""

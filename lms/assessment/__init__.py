"""Course ① tests: quiz files, attempts, grading and item analysis."""

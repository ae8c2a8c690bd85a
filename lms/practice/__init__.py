"""The practice stage (実践): goal, daily reflections, progress and final reports."""

"""The office's daily work (事務局): who needs a nudge, a trainee's timeline, the programme view."""

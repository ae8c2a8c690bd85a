"""Course ② in person: venues, sessions, booking with waitlist, attendance."""

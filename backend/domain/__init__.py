"""What happens to a melding: accepting it, messages, status workflow, legal clock, reminders,
forwarding, statistics, audit log and retention."""

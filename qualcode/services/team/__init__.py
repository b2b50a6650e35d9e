"""Team work: blind-mode visibility, offline merges, the change feed, backups, PostgreSQL logins."""

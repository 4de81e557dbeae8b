"""The store, the SQL in queries/, the read model and the services (rounds, answers, mail)."""

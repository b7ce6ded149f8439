"""Read-side queries shared by the API and the dashboard: plain SQL, no aggregates, no locks."""

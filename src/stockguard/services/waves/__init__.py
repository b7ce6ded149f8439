"""Back-in-stock waves: fair, first-come-first-served notification of waiting subscribers."""

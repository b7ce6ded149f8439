"""The risk register: risks, the scenarios that model them, and their rehearsals."""

"""The union's internal procedures (DOMAIN.md sections 5-7): dossiers, configuration, the organisation
tree through time, commendation rounds, and the membership targets of the action programme."""

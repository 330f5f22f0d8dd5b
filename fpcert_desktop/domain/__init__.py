"""Pure-Python rules of the certificate system: ID numbers, people, offices, policy, decisions."""

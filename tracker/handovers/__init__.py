"""Handovers: prepare, issue the minutes, sign, confirm receipt, complete or void."""

"""`cscp bench`: synthetic case-level data at partnership, London or England scale, and the timings."""

"""Accuracy measurement: pure functions shared by `wirestream eval` and the bench scripts."""

"""End-to-end: the simulator and a real Home Assistant process."""

"""Async clients for the guest Wi-Fi platforms (no Home Assistant imports)."""

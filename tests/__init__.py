"""Tests for the Guest Wi-Fi integration."""

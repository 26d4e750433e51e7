"""Tests for the vendor clients."""

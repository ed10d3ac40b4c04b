"""Small factories and the shared personas used by every app's tests."""

"""The HTTP service: the app, its routes and the worker processes the analyses run in."""

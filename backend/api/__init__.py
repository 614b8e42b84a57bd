"""HTTP API: dependencies, errors, the public, melder and loket routes, request/response schemas."""

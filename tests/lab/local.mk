# tests/lab: rules to come

# tests/proc: rules to come

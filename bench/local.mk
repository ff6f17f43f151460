# bench: rules to come

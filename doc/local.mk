# doc: rules to come

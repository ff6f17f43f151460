# etc: rules to come

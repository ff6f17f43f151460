# weight: rules to come

# lvsd: rules to come

# lvsctl: rules to come

# vrrp: rules to come

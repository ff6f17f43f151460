# checkers: rules to come

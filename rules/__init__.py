# The built-in rule packs, installed as the package data of `newslint.builtin_rules`.

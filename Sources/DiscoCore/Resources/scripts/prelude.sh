# prelude placeholder

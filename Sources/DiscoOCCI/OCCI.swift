// The OCCI codec.

// OpenStack clients.

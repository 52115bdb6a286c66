print("disco-cli")

print("disco-sm")

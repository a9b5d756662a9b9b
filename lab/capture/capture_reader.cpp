// placeholder until the capture readers land

environment = "prod"
gpu_nodes   = 2

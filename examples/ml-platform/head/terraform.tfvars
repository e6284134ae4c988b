environment = "prod"
gpu_nodes   = 4

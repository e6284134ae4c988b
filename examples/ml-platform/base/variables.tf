variable "region" {
  type    = string
  default = "us-east-1"
}

variable "project" {
  type    = string
  default = "recsys"
}

variable "environment" {
  type = string
}

variable "gpu_nodes" {
  description = "Desired number of GPU nodes for training"
  type        = number
  default     = 1
}

variable "gpu_instance_type" {
  type    = string
  default = "g5.2xlarge"
}

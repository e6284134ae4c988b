# An ML platform on AWS: one EKS cluster with a CPU and a GPU node group, a SageMaker
# real-time endpoint, datasets in S3 and a NAT gateway for private subnets.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      team        = "ml-platform"
      cost-center = "ml-1234"
    }
  }
}

locals {
  name = "${var.project}-${var.environment}"
  common_tags = {
    project     = var.project
    environment = var.environment
  }
}

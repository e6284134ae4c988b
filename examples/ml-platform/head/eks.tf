resource "aws_iam_role" "nodes" {
  name               = "${local.name}-nodes"
  assume_role_policy = "{}"
}

resource "aws_eks_cluster" "main" {
  name     = local.name
  role_arn = aws_iam_role.nodes.arn
  version  = "1.31"

  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}

resource "aws_eks_node_group" "cpu" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "cpu"
  node_role_arn   = aws_iam_role.nodes.arn
  subnet_ids      = aws_subnet.private[*].id
  instance_types  = ["m6i.xlarge"]
  disk_size       = 50

  scaling_config {
    desired_size = 3
    min_size     = 3
    max_size     = 6
  }
}

resource "aws_eks_node_group" "gpu_training" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "gpu-training"
  node_role_arn   = aws_iam_role.nodes.arn
  subnet_ids      = aws_subnet.private[*].id
  instance_types  = [var.gpu_instance_type]
  capacity_type   = "ON_DEMAND"
  disk_size       = 200

  labels = {
    workload = "training"
  }

  scaling_config {
    desired_size = var.gpu_nodes
    min_size     = 0
    max_size     = 6
  }
}

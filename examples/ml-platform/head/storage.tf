resource "aws_s3_bucket" "datasets" {
  bucket = "${local.name}-datasets"
  tags   = merge(local.common_tags, { data = "datasets" })
}

resource "aws_s3_bucket" "checkpoints" {
  bucket = "${local.name}-checkpoints"
}

resource "aws_instance" "bastion" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  subnet_id     = aws_subnet.public.id

  root_block_device {
    volume_type = "gp3"
    volume_size = 50
  }

  tags = merge(local.common_tags, { Name = "${local.name}-bastion" })
}

resource "aws_ebs_volume" "feature_cache" {
  availability_zone = "us-east-1a"
  size              = 500
  type              = "gp2"
}

# mlcost:ignore log-retention audit logs of training runs are kept for 7 years (compliance policy DP-7)
resource "aws_cloudwatch_log_group" "training_audit" {
  name = "/ml/${local.name}/training-audit"
}

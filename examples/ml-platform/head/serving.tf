resource "aws_sagemaker_model" "ranker" {
  name               = "${local.name}-ranker"
  execution_role_arn = aws_iam_role.nodes.arn

  primary_container {
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/ranker:latest"
  }
}

resource "aws_sagemaker_endpoint_configuration" "ranker" {
  name = "${local.name}-ranker"

  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.ranker.name
    instance_type          = "ml.g5.2xlarge"
    initial_instance_count = 2
  }
}

resource "aws_sagemaker_endpoint" "ranker" {
  name                 = "${local.name}-ranker"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.ranker.name
}

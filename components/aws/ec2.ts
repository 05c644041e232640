/**
 * The EC2 resources the platform declares, each from its own module of @pulumi/aws. The package's
 * `ec2` namespace loads, at import, every instance type and enum it has, which the planner paid
 * for on every plan; these modules load only their class.
 */
export { DefaultNetworkAcl } from "@pulumi/aws/ec2/defaultNetworkAcl";
export { DefaultSecurityGroup } from "@pulumi/aws/ec2/defaultSecurityGroup";
export { Eip } from "@pulumi/aws/ec2/eip";
export { FlowLog } from "@pulumi/aws/ec2/flowLog";
export { Instance } from "@pulumi/aws/ec2/instance";
export { InternetGateway } from "@pulumi/aws/ec2/internetGateway";
export { LaunchTemplate } from "@pulumi/aws/ec2/launchTemplate";
export { NatGateway } from "@pulumi/aws/ec2/natGateway";
export { NetworkAcl } from "@pulumi/aws/ec2/networkAcl";
export { RouteTable } from "@pulumi/aws/ec2/routeTable";
export { RouteTableAssociation } from "@pulumi/aws/ec2/routeTableAssociation";
export { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
export { Subnet } from "@pulumi/aws/ec2/subnet";
export { Vpc } from "@pulumi/aws/ec2/vpc";
export { VpcEndpoint } from "@pulumi/aws/ec2/vpcEndpoint";
export { VpcIpv4CidrBlockAssociation } from "@pulumi/aws/ec2/vpcIpv4CidrBlockAssociation";

import AlphaRuntime
import GreeterService

/// greeter-service: greets users, on the `greeter_service` schema. gRPC :50090, admin :9190.
@main
enum GreeterServiceMain {
    static func main() async {
        await ServiceProcess.run(
            name: GreeterProcess.name,
            defaultAdminPort: GreeterProcess.defaultAdminPort,
            assemble: GreeterProcess.assemble
        )
    }
}

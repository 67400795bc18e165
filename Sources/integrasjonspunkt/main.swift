print("integrasjonspunkt")

package cometchat

// Version is the version of this SDK. It is sent in the User-Agent header of
// every request as "cometchat-go/<Version>" and follows semantic versioning.
const Version = "0.2.0"

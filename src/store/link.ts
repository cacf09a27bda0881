// Repository functions of the identifier and linking stage.
export {};
